package fr.sante.workbench.anonymisation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationDef;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.plans.logical.WithCTE;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every source column a result column is computed from, traced through Spark's analysed plan (projections,
 * aggregations, joins, unions, windows, CTEs): what a record-level export checks its insensitive columns with.
 * A column read through an operator it cannot see through is reported as untraceable, never as clean.
 */
final class ColumnLineage {
  /** A column of a source: {@code table} is the lake table's name, or null for in-memory rows. */
  record SourceColumn(String table, String column) {
    String describe() {
      return column + (table == null ? " (in-memory data)" : " of " + table);
    }
  }

  /**
   * What a result column comes from; {@code untraceable} names the operators that hid part of it, {@code computedBy}
   * what computed it beyond row-wise functions of its row's columns (a subquery, an aggregate function, a window).
   */
  record Lineage(Set<SourceColumn> sources, Set<String> untraceable, Set<String> computedBy) {}

  private final Map<Long, LogicalPlan> ctes = new HashMap<>();
  private final Set<SourceColumn> sources = new LinkedHashSet<>();
  private final Set<String> untraceable = new LinkedHashSet<>();
  private final Set<String> computedBy = new LinkedHashSet<>();

  private ColumnLineage() {}

  static Lineage of(Dataset<Row> data, String column) {
    LogicalPlan plan = data.queryExecution().analyzed();
    ColumnLineage lineage = new ColumnLineage();
    lineage.collectCtes(plan);
    for (Attribute attribute : CollectionConverters.asJava(plan.output())) {
      if (attribute.name().equals(column)) {
        lineage.trace(plan, attribute.exprId());
      }
    }
    return new Lineage(lineage.sources, lineage.untraceable, lineage.computedBy);
  }

  private void collectCtes(LogicalPlan plan) {
    if (plan instanceof CTERelationDef def) {
      ctes.put(def.id(), def.child());
    }
    CollectionConverters.asJava(plan.children()).forEach(this::collectCtes);
  }

  private void trace(LogicalPlan node, ExprId id) {
    if (node instanceof LogicalRelation relation) {
      for (Attribute attribute : CollectionConverters.asJava(relation.output())) {
        if (attribute.exprId().equals(id)) {
          String table = null;
          if (relation.relation() instanceof HadoopFsRelation files && files.location().rootPaths().size() == 1) {
            table = files.location().rootPaths().head().getName();
          }
          sources.add(new SourceColumn(table, attribute.name()));
        }
      }
      return;
    }
    if (node instanceof LocalRelation local) {
      for (Attribute attribute : CollectionConverters.asJava(local.output())) {
        if (attribute.exprId().equals(id)) {
          sources.add(new SourceColumn(null, attribute.name()));
        }
      }
      return;
    }
    List<NamedExpression> defined = new ArrayList<>();
    if (node instanceof Project project) {
      defined.addAll(CollectionConverters.asJava(project.projectList()));
    } else if (node instanceof Aggregate aggregate) {
      defined.addAll(CollectionConverters.asJava(aggregate.aggregateExpressions()));
    } else if (node instanceof Window window) {
      defined.addAll(CollectionConverters.asJava(window.windowExpressions()));
    }
    for (NamedExpression expression : defined) {
      if (expression.exprId().equals(id) && expression instanceof Alias alias) {
        // a value another query computes, an aggregate over rows or a window over them is not a value of this row
        if (contains(alias.child(), org.apache.spark.sql.catalyst.expressions.SubqueryExpression.class)) {
          computedBy.add("a subquery");
        }
        if (contains(alias.child(), org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression.class)) {
          computedBy.add("an aggregate function");
        }
        if (node instanceof Window) {
          computedBy.add("a window function");
        }
        // a computed column depends on every column its expression reads, in the node's input
        for (Attribute input : references(alias.child())) {
          traceInChildren(node, input.exprId());
        }
        if (node instanceof Window window) {
          for (Expression partition : CollectionConverters.asJava(window.partitionSpec())) {
            references(partition).forEach(a -> traceInChildren(node, a.exprId()));
          }
        }
        return;
      }
    }
    if (node instanceof WithCTE with) {
      trace(with.plan(), id);
      return;
    }
    if (node instanceof CTERelationRef ref) {
      List<Attribute> output = CollectionConverters.asJava(ref.output());
      LogicalPlan definition = ctes.get(ref.cteId());
      for (int i = 0; i < output.size(); i++) {
        if (output.get(i).exprId().equals(id) && definition != null) {
          trace(definition, CollectionConverters.asJava(definition.output()).get(i).exprId());
        }
      }
      return;
    }
    if (node instanceof Union union) {
      int position = CollectionConverters.asJava(union.output()).stream().map(Attribute::exprId).toList().indexOf(id);
      for (LogicalPlan child : CollectionConverters.asJava(union.children())) {
        if (position >= 0) {
          trace(child, CollectionConverters.asJava(child.output()).get(position).exprId());
        }
      }
      return;
    }
    if (node.children().isEmpty()) {
      untraceable.add(node.getClass().getSimpleName());
      return;
    }
    traceInChildren(node, id);
  }

  /** Follows {@code id} into whichever child outputs it (a pass-through: filters, joins, sorts...). */
  private void traceInChildren(LogicalPlan node, ExprId id) {
    boolean found = false;
    for (LogicalPlan child : CollectionConverters.asJava(node.children())) {
      for (Attribute attribute : CollectionConverters.asJava(child.output())) {
        if (attribute.exprId().equals(id)) {
          trace(child, id);
          found = true;
        }
      }
    }
    if (!found) {
      untraceable.add(node.getClass().getSimpleName());
    }
  }

  /** Whether {@code expression} or any expression below it is a {@code type}. */
  private static boolean contains(Expression expression, Class<?> type) {
    if (type.isInstance(expression)) {
      return true;
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      if (contains(child, type)) {
        return true;
      }
    }
    return false;
  }

  private static List<Attribute> references(Expression expression) {
    List<Attribute> out = new ArrayList<>();
    collect(expression, out);
    return out;
  }

  private static void collect(Expression expression, List<Attribute> into) {
    if (expression instanceof AttributeReference attribute) {
      into.add(attribute);
    }
    CollectionConverters.asJava(expression.children()).forEach(child -> collect(child, into));
  }
}
