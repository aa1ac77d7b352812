// Injected into a copy of a report page by HeadlessChromium: once the page has loaded, measures what the browser laid
// out and writes the findings as JSON into <html data-layout-check="...">, which --dump-dom prints. The page itself
// stays as it was written; only the copy carries this script.
window.addEventListener('load', function () {
  var problems = [];
  var scrolled = [];
  var de = document.documentElement;
  // folded sections (the DPO's hidden cells) are checked open, as the DPO reads them
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  function describe(el) {
    var name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
    var text = (el.textContent || el.getAttribute('alt') || el.getAttribute('src') || '').replace(/\s+/g, ' ').trim();
    return name + ' "' + (text.length > 60 ? text.substring(0, 59) + '…' : text) + '"';
  }
  function px(v) { return Math.round(v); }
  // the box an element must stay in: its nearest horizontally scrolling ancestor, else the body's content box
  function container(el) {
    for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      var o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return a;
    }
    return document.body;
  }
  function contentBox(el) {
    var r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {left: r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
            right: r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight)};
  }
  if (de.scrollWidth > de.clientWidth) {
    problems.push('the page scrolls sideways: the document is ' + de.scrollWidth + ' px wide in a ' + de.clientWidth + ' px viewport');
  }
  // blocks that run off the page column, or off the box that should scroll them
  document.body.querySelectorAll('table, pre, code, img, svg, figure, p, h1, h2, h3, ul, li, nav, details, div').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    var box = container(el), limit = contentBox(box);
    if (r.right > limit.right + 1 || r.left < limit.left - 1) {
      var by = px(Math.max(r.right - limit.right, limit.left - r.left));
      if (box === document.body) problems.push(describe(el) + ' runs off the page column by ' + by + ' px');
      else if (el.parentElement === box) scrolled.push({what: describe(el), columns: el.rows && el.rows.length ? el.rows[0].cells.length : 0, by: by});
    }
  });
  // a <pre> whose text is wider than the block itself
  document.querySelectorAll('pre').forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) problems.push(describe(el) + ' has text ' + (el.scrollWidth - el.clientWidth) + ' px wider than its block');
  });
  // every image loaded
  document.querySelectorAll('img').forEach(function (img) {
    if (!img.complete || img.naturalWidth === 0) problems.push('image not loaded: ' + img.getAttribute('src'));
  });
  // months, dates and numbers in cells stay on one line
  var oneLine = /^(\d{4}-\d{2}(-\d{2})?( \d{2}:\d{2}:\d{2} UTC)?|[-−]?[\d ,.]*\d(\.\d+)?( ?%)?)$/;
  document.querySelectorAll('td, th').forEach(function (cell) {
    var text = cell.textContent.trim();
    if (!oneLine.test(text)) return;
    var range = document.createRange();
    range.selectNodeContents(cell);
    var tops = {};
    Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) tops[px(r.top)] = true; });
    if (Object.keys(tops).length > 1) problems.push('"' + text + '" is wrapped onto ' + Object.keys(tops).length + ' lines in ' + describe(cell.closest('table')));
  });
  // text cut off by a box that hides its overflow
  document.body.querySelectorAll('*').forEach(function (el) {
    var s = getComputedStyle(el);
    var hidesX = s.overflowX === 'hidden' || s.overflowX === 'clip', hidesY = s.overflowY === 'hidden' || s.overflowY === 'clip';
    if ((hidesX && el.scrollWidth > el.clientWidth + 1) || (hidesY && el.scrollHeight > el.clientHeight + 1) || (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)) {
      problems.push(describe(el) + ' has its text clipped');
    }
  });
  de.setAttribute('data-layout-check', JSON.stringify({
    viewport: de.clientWidth, width: de.scrollWidth, height: Math.max(de.scrollHeight, document.body.scrollHeight),
    images: document.images.length, problems: problems, scrolled: scrolled}));
});
