package fr.sante.workbench.anonymisation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one analyser every SQL text from a user goes through before anything runs: {@code workbench sql},
 * {@code export --query}, {@code risk --query}. Spark runs a command ({@code INSERT OVERWRITE DIRECTORY},
 * {@code CREATE TABLE ... LOCATION}, {@code DELETE}, {@code SET}, {@code CACHE ... AS}) as soon as {@code
 * spark.sql} parses it, so the check is made on the <em>parsed</em> plan, then again on the analysed one:
 *
 * <ul>
 *   <li>every node of the parsed plan, subqueries and CTE bodies included, is a query operator (projection,
 *       filter, aggregate, join, set operation, sort, limit, window, CTE, VALUES...); anything else (every
 *       command, DDL, DML, {@code TRANSFORM ... USING} scripts, SQL scripting, table-valued functions such as
 *       {@code read_files}) is refused by name;
 *   <li>every table is named by one of the lake's table names (or a CTE of the query): no {@code
 *       csv.`path`}, {@code text.`path`}, {@code delta.`path`} nor {@code catalog.schema.table};
 *   <li>no function that calls Java ({@code reflect}, {@code java_method}, {@code try_reflect});
 *   <li>the analysed plan reads only files under the lake's root.
 * </ul>
 *
 * <p>The tables actually read are returned for the manifest's provenance.
 */
public final class ReadOnlyQuery {
  /** Parsed-plan operators a read-only query may contain (simple class names of Spark 4.0's parser output). */
  private static final Set<String> QUERY_NODES =
      Set.of(
          "Project", "Filter", "Aggregate", "Join", "LateralJoin", "Union", "Intersect", "Except", "Distinct", "Deduplicate",
          "Sort", "GlobalLimit", "LocalLimit", "Offset", "Tail", "SubqueryAlias", "UnresolvedRelation", "UnresolvedWith",
          "WithCTE", "CTERelationDef", "CTERelationRef", "OneRowRelation", "LocalRelation", "UnresolvedInlineTable", "Window",
          "WithWindowDefinition", "Generate", "Expand", "Pivot", "Unpivot", "UnresolvedHaving", "Sample", "RepartitionByExpression",
          "UnresolvedHint", "UnresolvedSubqueryColumnAliases", "UnresolvedTVFAliases", "Range");
  /** Analysed-plan leaves that read no file (a CTE reference's definition is checked where {@code WithCTE} holds it). */
  private static final Set<String> FILELESS_LEAVES = Set.of("LocalRelation", "OneRowRelation", "Range", "EmptyRelation", "CTERelationRef");
  /** Built-in functions that call arbitrary Java code. */
  private static final Set<String> REFUSED_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect");

  /**
   * A checked query.
   *
   * @param tables the lake tables the query reads (by name), for the manifest
   */
  public record Checked(String sql, Dataset<Row> dataset, Set<String> tables) {
    public Checked {
      tables = Collections.unmodifiableSet(new TreeSet<>(tables));
    }
  }

  private ReadOnlyQuery() {}

  /**
   * Checks {@code sql} against the rules above and returns its (lazy) result.
   *
   * @param tables the lake's tables by name, each registered as a view
   * @param lakeRoot the lake's root: the analysed plan may read files under it only
   * @throws QueryRefusedException naming the node, table or function refused; nothing has run
   */
  public static Checked check(SparkSession spark, String sql, Set<String> tables, String lakeRoot) {
    LogicalPlan parsed;
    try {
      parsed = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException, and SqlScriptingException for BEGIN ... END
      throw new QueryRefusedException("Refused: the text is not one Spark SQL query: " + firstLine(e));
    }
    Set<String> lakeNames = new TreeSet<>();
    tables.forEach(name -> lakeNames.add(name.toLowerCase(Locale.ROOT)));
    Set<String> cteNames = new TreeSet<>();
    collectCteNames(parsed, cteNames);
    Set<String> read = new TreeSet<>();
    checkParsed(parsed, lakeNames, cteNames, read);
    Dataset<Row> dataset = spark.sql(sql); // a query: lazy, nothing runs before an action
    checkAnalysed(dataset.queryExecution().analyzed(), lakeRoot);
    Set<String> names = new TreeSet<>();
    for (String table : tables) {
      if (read.contains(table.toLowerCase(Locale.ROOT))) {
        names.add(table);
      }
    }
    return new Checked(sql, dataset, names);
  }

  /** The first line of a parse error, e.g. "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM'. (line 1, pos 9)": not the SQL drawn under it. */
  private static String firstLine(Exception e) {
    String text = String.valueOf(e.getMessage());
    return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(text).replaceAll("\\s*SQLSTATE: \\w+\\s*", " ").strip();
  }

  private static void collectCteNames(QueryPlan<?> plan, Set<String> into) {
    if (plan instanceof UnresolvedWith with) {
      for (Tuple2<String, ?> cte : CollectionConverters.asJava(with.cteRelations())) {
        into.add(cte._1().toLowerCase(Locale.ROOT));
      }
    }
    for (QueryPlan<?> child : planChildren(plan)) {
      collectCteNames(child, into);
    }
  }

  private static void checkParsed(QueryPlan<?> plan, Set<String> lakeNames, Set<String> cteNames, Set<String> read) {
    String node = plan.getClass().getSimpleName();
    if (plan instanceof UnresolvedTableValuedFunction function) {
      throw new QueryRefusedException(
          "Refused: the query calls the table-valued function '" + String.join(".", CollectionConverters.asJava(function.name()))
              + "' (a query reads the lake's tables by name only: " + lakeNames + ")");
    }
    if (!QUERY_NODES.contains(node)) {
      throw new QueryRefusedException(
          "Refused: '" + node + "' is not a read-only query operator (expected a SELECT over the lake's tables; commands, DDL, DML, "
              + "INSERT, CACHE, SET and scripts are refused; ingest and administration have their own commands)");
    }
    if (plan instanceof UnresolvedRelation relation) {
      List<String> parts = CollectionConverters.asJava(relation.multipartIdentifier());
      String name = String.join(".", parts);
      if (parts.size() != 1) {
        throw new QueryRefusedException(
            "Refused: the query reads '" + name + "' (expected one of the lake's tables by name: " + lakeNames
                + "; paths such as csv.`/x`, delta.`/x` and other catalogs are refused)");
      }
      String lower = parts.get(0).toLowerCase(Locale.ROOT);
      if (!lakeNames.contains(lower) && !cteNames.contains(lower)) {
        throw new QueryRefusedException("Refused: the query reads '" + name + "', which is not a table of the lake (expected one of " + lakeNames + ")");
      }
      if (lakeNames.contains(lower)) {
        read.add(lower);
      }
    }
    for (Expression expression : CollectionConverters.asJava(((QueryPlan<?>) plan).expressions())) {
      checkExpression(expression, lakeNames, cteNames, read);
    }
    for (QueryPlan<?> child : planChildren(plan)) {
      checkParsed(child, lakeNames, cteNames, read);
    }
  }

  private static void checkExpression(Expression expression, Set<String> lakeNames, Set<String> cteNames, Set<String> read) {
    if (expression instanceof UnresolvedFunction function) {
      List<String> parts = CollectionConverters.asJava(function.nameParts());
      String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
      if (REFUSED_FUNCTIONS.contains(name) || parts.size() > 1) {
        throw new QueryRefusedException("Refused: the query calls '" + String.join(".", parts) + "' (functions that call Java code or live in a catalog are refused)");
      }
    }
    if (expression instanceof SubqueryExpression subquery) {
      checkParsed(subquery.plan(), lakeNames, cteNames, read);
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      checkExpression(child, lakeNames, cteNames, read);
    }
  }

  /** Children and inner children (CTE bodies of {@code WITH}) of a plan node. */
  private static List<QueryPlan<?>> planChildren(QueryPlan<?> plan) {
    List<QueryPlan<?>> out = new ArrayList<>();
    for (Object child : CollectionConverters.asJava(plan.children())) {
      out.add((QueryPlan<?>) child);
    }
    for (Object inner : CollectionConverters.asJava(plan.innerChildren())) {
      if (inner instanceof QueryPlan<?> innerPlan) {
        out.add(innerPlan);
      }
    }
    return out;
  }

  /** Every leaf of the analysed plan reads files under the lake's root, or no file at all. */
  private static void checkAnalysed(LogicalPlan analysed, String lakeRoot) {
    Map<String, String> refused = new TreeMap<>();
    collectLeaves(analysed, lakeRoot, refused);
    if (!refused.isEmpty()) {
      throw new QueryRefusedException("Refused: the query reads " + refused + " outside the lake '" + lakeRoot + "'");
    }
  }

  private static void collectLeaves(QueryPlan<?> plan, String lakeRoot, Map<String, String> refused) {
    if (plan instanceof LogicalRelation relation) {
      if (relation.relation() instanceof HadoopFsRelation files) {
        for (Object path : CollectionConverters.asJava(files.location().rootPaths())) {
          String location = path.toString();
          if (!isUnder(location, lakeRoot)) {
            refused.put(location, "files");
          }
        }
      } else {
        refused.put(relation.relation().toString(), relation.relation().getClass().getSimpleName());
      }
    } else if (plan.children().isEmpty() && !FILELESS_LEAVES.contains(plan.getClass().getSimpleName())) {
      refused.put(plan.simpleString(100), plan.getClass().getSimpleName());
    }
    for (QueryPlan<?> child : planChildren(plan)) {
      collectLeaves(child, lakeRoot, refused);
    }
    for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
      collectSubqueryLeaves(expression, lakeRoot, refused);
    }
  }

  private static void collectSubqueryLeaves(Expression expression, String lakeRoot, Map<String, String> refused) {
    if (expression instanceof SubqueryExpression subquery) {
      collectLeaves(subquery.plan(), lakeRoot, refused);
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      collectSubqueryLeaves(child, lakeRoot, refused);
    }
  }

  /** Whether a Hadoop location ({@code file:/lake/damir}, {@code /lake/damir}) is the lake root or under it. */
  static boolean isUnder(String location, String lakeRoot) {
    String path = stripFileScheme(location);
    String root = stripFileScheme(lakeRoot);
    return path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/");
  }

  private static String stripFileScheme(String location) {
    String path = location;
    if (path.startsWith("file://")) {
      path = path.substring("file://".length());
    } else if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
