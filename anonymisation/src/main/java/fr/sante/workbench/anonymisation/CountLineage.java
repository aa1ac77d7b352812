package fr.sante.workbench.anonymisation;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateFunction;
import org.apache.spark.sql.catalyst.expressions.aggregate.Count;
import org.apache.spark.sql.catalyst.expressions.aggregate.Sum;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationDef;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.WithCTE;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The gate does not take a result's word for its counts: each count and amount column is traced through
 * Spark's analysed plan to what produced it. A published count must be {@code count(*)} of the rows of one
 * table, or a plain sum (possibly of sums) of a column that data-schemas declares as counting the policy's unit;
 * an amount a plain sum of a declared amount column ({@code 1} on every row, summed by the gate, is {@code count(*)}).
 * Between the aggregation and the table only operators that keep each row once are allowed (projections, filters,
 * aliases, sorts, left semi and anti joins): another join, a union, {@code explode}, {@code
 * ROLLUP}/{@code CUBE}, window or {@code DISTINCT} may count a row several times or none, and arithmetic, a
 * literal or another column cannot become a count. Anything else is refused, naming what was found.
 */
final class CountLineage {
  /** Operators with one child whose rows they keep or drop, never repeat, and whose output passes through. */
  private static final Set<String> ROW_KEEPING = Set.of("Filter", "SubqueryAlias", "View", "Sort", "ResolvedHint", "RepartitionByExpression", "Repartition", "RebalancePartitions");

  /**
   * What a traced column is: count(*) of a table's rows, or (a sum of) one source column.
   *
   * @param perRow the column's value on each result row is one source row's value (no aggregation in between)
   */
  private record Source(boolean rows, String table, String column, boolean perRow, String root) {
    String describe() {
      String where = table == null ? "in-memory data" : "table " + table;
      return rows ? "count(*) of the rows of " + where : "column " + column + " of " + where;
    }
  }

  /** The definitions of the plan's common table expressions, by id: a {@code CTERelationRef} reads one. */
  private final Map<Long, LogicalPlan> ctes;

  private CountLineage(Map<Long, LogicalPlan> ctes) {
    this.ctes = ctes;
  }

  /**
   * Checks the count and amount columns of {@code data} for {@code policy}.
   *
   * @throws AnonymisationException naming the column, what it was traced to and what was expected
   */
  static void check(Dataset<Row> data, ExportPolicy policy, CountSources sources) {
    LogicalPlan plan = data.queryExecution().analyzed();
    Map<Long, LogicalPlan> ctes = new HashMap<>();
    collectCtes(plan, ctes);
    refuseSelectionByValue(plan, new java.util.HashSet<>());
    new CountLineage(ctes).check(plan, policy, sources);
    checkDimensions(data, policy.dimensions());
  }

  /**
   * A dimension's values are published as they are: each must be a column of the rows counted, or a row-wise function
   * of their columns, never a value a subquery, an aggregate or a window computes (a label {@code concat('v', (SELECT
   * sum(amount) FROM ... WHERE <one line>))} would publish that line's amount).
   */
  static void checkDimensions(Dataset<Row> data, List<String> dimensions) {
    List<String> problems = new java.util.ArrayList<>();
    for (String dimension : dimensions) {
      ColumnLineage.Lineage lineage = ColumnLineage.of(data, dimension);
      if (!lineage.computedBy().isEmpty()) {
        problems.add("the dimension '" + dimension + "' is computed with " + String.join(" and ", lineage.computedBy())
            + ", so its values would publish what that computes (expected a column of the rows counted, or a row-wise function of their columns)");
      }
      if (!lineage.untraceable().isEmpty()) {
        problems.add("the dimension '" + dimension + "' cannot be traced to the columns it is read from, through " + lineage.untraceable());
      }
    }
    if (!problems.isEmpty()) {
      throw new AnonymisationException("Cannot export: " + String.join("; ", problems));
    }
  }

  /**
   * The lake table of which each row of {@code data} carries one row's count unchanged (the count column read from
   * the table through projections, filters and semi/anti joins only, never aggregated in the query), or empty. Call
   * after {@link #check}. The gate then knows that a cell summing exactly one row of {@code data} is that table's row.
   */
  static Optional<PerRow> perRowTable(Dataset<Row> data, ExportPolicy policy) {
    LogicalPlan plan = data.queryExecution().analyzed();
    Map<Long, LogicalPlan> ctes = new HashMap<>();
    collectCtes(plan, ctes);
    Source source = new CountLineage(ctes).trace(plan, output(plan, policy.countColumn()), "count column '" + policy.countColumn() + "'");
    return source.perRow() && !source.rows() && source.table() != null && source.root() != null
        ? Optional.of(new PerRow(source.table(), source.root()))
        : Optional.empty();
  }

  /** The table each result row is one row of: its name and the folder it was read from. */
  record PerRow(String table, String root) {}

  /** The one folder a relation reads, as a path without scheme, or null. */
  private static String rootOf(LogicalPlan leaf) {
    if (leaf instanceof LogicalRelation relation && relation.relation() instanceof HadoopFsRelation files) {
      List<?> paths = CollectionConverters.asJava(files.location().rootPaths());
      if (paths.size() == 1) {
        return ((org.apache.hadoop.fs.Path) paths.get(0)).toUri().getPath();
      }
    }
    return null;
  }

  /**
   * Refuses a filter or join condition on an aggregate's result ({@code HAVING count(*) = 2}, {@code WHERE n = 2} over
   * a grouped subquery, {@code IN (SELECT … HAVING …)}): the cells it keeps are known to satisfy it, so the query's
   * text, which the manifest carries, gives their hidden values away. Subqueries are searched too.
   *
   * @param derived ids of the attributes computed from an aggregate function, gathered bottom-up
   */
  private static void refuseSelectionByValue(LogicalPlan plan, Set<ExprId> derived) {
    for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
      refuseSelectionByValue(child, derived);
    }
    for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
      subqueries(expression, derived);
    }
    if (plan instanceof Aggregate aggregate) {
      for (NamedExpression e : CollectionConverters.asJava(aggregate.aggregateExpressions())) {
        if (containsAggregate((Expression) e)) {
          derived.add(e.exprId());
        }
      }
    } else if (plan instanceof Project project) {
      for (NamedExpression e : CollectionConverters.asJava(project.projectList())) {
        if (references((Expression) e, derived)) {
          derived.add(e.exprId());
        }
      }
    }
    Expression condition = null;
    if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Filter filter) {
      condition = filter.condition();
    } else if (plan instanceof Join join && join.condition().isDefined()) {
      condition = join.condition().get();
    }
    if (condition != null && (references(condition, derived) || containsAggregate(condition))) {
      throw new AnonymisationException(
          "Cannot export: the query keeps rows by the value of a count or amount (" + condition.sql() + "): the cells it keeps are known to satisfy it, "
              + "so the query, which the manifest carries, would give their hidden values away (filter on the source's columns, not on aggregates)");
    }
  }

  private static void subqueries(Expression expression, Set<ExprId> derived) {
    if (expression instanceof org.apache.spark.sql.catalyst.expressions.SubqueryExpression subquery) {
      refuseSelectionByValue(subquery.plan(), new java.util.HashSet<>());
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      subqueries(child, derived);
    }
  }

  private static boolean containsAggregate(Expression expression) {
    if (expression instanceof AggregateExpression) {
      return true;
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      if (containsAggregate(child)) {
        return true;
      }
    }
    return false;
  }

  private static boolean references(Expression expression, Set<ExprId> derived) {
    if (derived.isEmpty()) {
      return false;
    }
    for (Attribute attribute : CollectionConverters.asJava(expression.references().toSeq())) {
      if (derived.contains(attribute.exprId())) {
        return true;
      }
    }
    return false;
  }

  /** The definitions of the plan's common table expressions ({@code WITH}), by id. */
  private static void collectCtes(LogicalPlan plan, Map<Long, LogicalPlan> into) {
    if (plan instanceof CTERelationDef def) {
      into.put(def.id(), def.child());
    }
    for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
      collectCtes(child, into);
    }
  }

  private void check(LogicalPlan plan, ExportPolicy policy, CountSources sources) {
    String count = policy.countColumn();
    Source source = trace(plan, output(plan, count), "count column '" + count + "'");
    if (source.rows()) {
      if (policy.unit() != ExportPolicy.CountUnit.ROWS) {
        throw new AnonymisationException(
            "Cannot export: the count column '" + count + "' is " + source.describe() + ", which counts rows, but the policy says it counts "
                + unitName(policy.unit()) + " (say counts: rows, or sum a column that counts " + unitName(policy.unit()) + ")");
      }
    } else {
      Optional<ExportPolicy.CountUnit> unit = sources.counts(source.table(), source.column());
      if (unit.isEmpty() || unit.get() != policy.unit()) {
        throw new AnonymisationException(
            "Cannot export: the count column '" + count + "' sums " + source.describe() + ", which "
                + (unit.isEmpty() ? "is not declared as a count (in " + sources + ")" : "counts " + unitName(unit.get()))
                + ", but the policy says it counts " + unitName(policy.unit()) + " (expected count(*) for rows, or a sum of a column declared as counting "
                + unitName(policy.unit()) + ")");
      }
    }
    for (String amount : policy.amountColumns()) {
      Source traced = trace(plan, output(plan, amount), "amount column '" + amount + "'");
      // an amount column is any other measure published beside the count: euros, or a declared count (acts)
      if (traced.rows() || !(sources.isAmount(traced.table(), traced.column()) || sources.counts(traced.table(), traced.column()).isPresent())) {
        throw new AnonymisationException(
            "Cannot export: the amount column '" + amount + "' is " + traced.describe()
                + ", which is declared neither as an amount nor as a count (expected a sum of a column such as FLT_REM_MNT or FLT_ACT_QTE)");
      }
    }
  }

  private static String unitName(ExportPolicy.CountUnit unit) {
    return unit.name().toLowerCase(Locale.ROOT);
  }

  private static Attribute output(LogicalPlan plan, String column) {
    for (Attribute attribute : CollectionConverters.asJava(plan.output())) {
      if (attribute.name().equals(column)) {
        return attribute;
      }
    }
    throw new AnonymisationException("Cannot export: the result has no column '" + column + "'");
  }

  /** Follows attribute {@code attribute} from {@code plan} down to what computes it. */
  private Source trace(LogicalPlan plan, Attribute attribute, String what) {
    ExprId id = attribute.exprId();
    LogicalPlan node = plan;
    while (true) {
      if (node instanceof LogicalRelation || node instanceof LocalRelation) {
        return new Source(false, tableOf(node), attribute.name(), true, rootOf(node));
      }
      if (node instanceof WithCTE with) {
        node = with.plan();
        continue;
      }
      if (node instanceof CTERelationRef ref) {
        // the reference's columns are the definition's, position for position, under new ids
        LogicalPlan definition = cte(ref);
        List<Attribute> refOutput = CollectionConverters.asJava(ref.output());
        int position = -1;
        for (int i = 0; i < refOutput.size(); i++) {
          if (refOutput.get(i).exprId().equals(id)) {
            position = i;
          }
        }
        if (position < 0) {
          throw new IllegalStateException("No column of " + ref + " is " + id);
        }
        return trace(definition, CollectionConverters.asJava(definition.output()).get(position), what);
      }
      if (node.children().isEmpty()) {
        throw refused(what, "read from " + node.simpleString(80), "a column of a table");
      }
      if (node instanceof Project project) {
        NamedExpression defined = definition(CollectionConverters.asJava(project.projectList()), id);
        if (defined instanceof Alias alias) {
          Expression child = stripCasts(alias.child());
          if (isOne(child)) {
            // 1 on every row, which the gate sums: count(*) written the other way
            return new Source(true, rowsOf(project.child(), what), null, false, null);
          }
          if (!(child instanceof AttributeReference renamed)) {
            throw refused(what, "computed as " + alias.child().sql(), "a column, count(*) or sum(column)");
          }
          return trace(project.child(), renamed, what);
        }
        node = project.child();
        continue;
      }
      if (node instanceof Aggregate aggregate) {
        NamedExpression defined = definition(CollectionConverters.asJava(aggregate.aggregateExpressions()), id);
        if (!(defined instanceof Alias alias)) {
          throw refused(what, "a grouping column of an aggregation", "count(*) or sum(column)");
        }
        return aggregated(alias.child(), aggregate.child(), what);
      }
      if (isSemiOrAnti(node)) {
        node = ((Join) node).left();
        continue;
      }
      String name = node.getClass().getSimpleName();
      if (!ROW_KEEPING.contains(name) || node.children().size() != 1) {
        throw refused(what, "passed through " + name + ", which may count a row several times or not at all", "projections and filters only between the count and the table");
      }
      node = node.children().head();
    }
  }

  /** An aggregate alias: count(*) (a literal argument) or sum(column), nothing else. */
  private Source aggregated(Expression expression, LogicalPlan child, String what) {
    Expression stripped = stripCasts(expression);
    if (!(stripped instanceof AggregateExpression aggregate) || aggregate.isDistinct()) {
      throw refused(what, "computed as " + expression.sql(), "count(*) or sum(column)");
    }
    AggregateFunction function = aggregate.aggregateFunction();
    if (function instanceof Count countFunction) {
      List<Expression> arguments = CollectionConverters.asJava(countFunction.children());
      boolean star = !arguments.isEmpty() && arguments.stream().allMatch(a -> a instanceof Literal literal && literal.value() != null);
      if (!star) {
        throw refused(what, "computed as " + expression.sql(), "count(*): a count of a column's non-null values is not a count of rows");
      }
      return new Source(true, rowsOf(child, what), null, false, null);
    }
    if (function instanceof Sum sum) {
      Expression summed = stripCasts(sum.child());
      if (!(summed instanceof AttributeReference column)) {
        throw refused(what, "computed as " + expression.sql(), "a plain sum of one column");
      }
      Source traced = trace(child, column, what);
      return new Source(traced.rows(), traced.table(), traced.column(), false, traced.root());
    }
    throw refused(what, "computed as " + expression.sql(), "count(*) or sum(column)");
  }

  /** The table whose rows {@code plan} passes through unrepeated; refuses anything that may repeat rows. */
  private String rowsOf(LogicalPlan plan, String what) {
    LogicalPlan node = plan;
    while (!(node instanceof LogicalRelation || node instanceof LocalRelation)) {
      if (node instanceof WithCTE with) {
        node = with.plan();
        continue;
      }
      if (node instanceof CTERelationRef ref) {
        node = cte(ref);
        continue;
      }
      if (isSemiOrAnti(node)) {
        node = ((Join) node).left();
        continue;
      }
      String name = node.getClass().getSimpleName();
      if (!(node instanceof Project) && (!ROW_KEEPING.contains(name) || node.children().size() != 1)) {
        throw refused(what, "count(*) over " + name + ", which may count a row several times or count groups", "count(*) over the rows of one table, filtered");
      }
      node = node.children().head();
    }
    return tableOf(node);
  }

  private LogicalPlan cte(CTERelationRef ref) {
    LogicalPlan definition = ctes.get(ref.cteId());
    if (definition == null) {
      throw new IllegalStateException("No definition of " + ref + " in the plan");
    }
    return definition;
  }

  private static NamedExpression definition(List<NamedExpression> list, ExprId id) {
    for (NamedExpression expression : list) {
      if (expression.exprId().equals(id)) {
        return expression;
      }
    }
    throw new IllegalStateException("No expression defines " + id + " in " + list);
  }

  /** A left semi or anti join keeps some rows of its left side, each once: a filter by another table. */
  private static boolean isSemiOrAnti(LogicalPlan node) {
    if (!(node instanceof Join join)) {
      return false;
    }
    String type = join.joinType().sql();
    return type.equals("LEFT SEMI") || type.equals("LEFT ANTI");
  }

  /** The whole number 1, of any integral type. */
  private static boolean isOne(Expression expression) {
    return expression instanceof Literal literal
        && literal.value() != null
        && literal.dataType() instanceof org.apache.spark.sql.types.IntegralType
        && ((Number) literal.value()).longValue() == 1;
  }

  private static Expression stripCasts(Expression expression) {
    Expression e = expression;
    while (e instanceof Cast cast) {
      e = cast.child();
    }
    return e;
  }

  /** The lake table a relation reads (its location's last segment), or null for in-memory rows. */
  private static String tableOf(LogicalPlan leaf) {
    if (leaf instanceof LogicalRelation relation && relation.relation() instanceof HadoopFsRelation files) {
      List<?> paths = CollectionConverters.asJava(files.location().rootPaths());
      if (paths.size() == 1) {
        return ((org.apache.hadoop.fs.Path) paths.get(0)).getName();
      }
    }
    if (leaf instanceof LocalRelation) {
      return null;
    }
    if (leaf instanceof LogicalRelation relation) {
      return relation.relation().toString();
    }
    throw new AnonymisationException("Cannot export: the result reads " + leaf.simpleString(80) + ", which is neither a table of the lake nor in-memory data");
  }

  private static AnonymisationException refused(String what, String found, String expected) {
    return new AnonymisationException("Cannot export: the " + what + " is " + found + " (expected " + expected + ")");
  }
}
