"""Views for the questions analysts ask most; created with the tables (`schema.store`).

Views, not tables: they always read the current rows, corrections included.
"""

from __future__ import annotations

LOW_CONFIDENCE = 0.5
"""Below this a value is listed in `v_low_confidence` (and highlighted in the report)."""

VIEWS: dict[str, str] = {
    # Targets per reform area, level and locality: how many, and the mean of the percentage ones.
    "v_targets_by_area": """
        SELECT coalesce(t.area, '(general)') AS area, p.admin_level, p.locality,
               count(*) AS targets,
               round(avg(t.value) FILTER (WHERE t.unit = '%'), 1) AS mean_pct,
               min(t.confidence) AS min_confidence
        FROM targets t JOIN plans p USING (plan_id)
        GROUP BY ALL""",
    # Appendix tasks per lead agency: how many, how many recurring, due per half year.
    "v_agency_load": """
        SELECT ag.canonical_name AS agency, count(*) AS tasks_led,
               count(DISTINCT ta.plan_id) AS plans,
               count(*) FILTER (WHERE t.recurring) AS recurring,
               count(*) FILTER (WHERE month(t.deadline_date) <= 6) AS due_h1,
               count(*) FILTER (WHERE month(t.deadline_date) > 6) AS due_h2
        FROM task_agencies ta
        JOIN agencies ag USING (agency_id)
        JOIN tasks t USING (plan_id, task_id)
        WHERE ta.role = 'lead'
        GROUP BY ag.canonical_name""",
    # Every dated task with its quarter, plan and lead agencies.
    "v_deadlines": """
        SELECT t.plan_id, p.locality, t.task_id, t.area, t.deadline_date,
               year(t.deadline_date) AS year, quarter(t.deadline_date) AS quarter,
               year(t.deadline_date) || '-Q' || quarter(t.deadline_date) AS year_quarter,
               t.deadline_text, t.lead_agencies, t.content
        FROM tasks t JOIN plans p USING (plan_id)
        WHERE t.deadline_date IS NOT NULL""",
    # Every value whose confidence is below LOW_CONFIDENCE, worst first, with where to look.
    "v_low_confidence": f"""
        SELECT b.plan_id, p.locality, b.record, b.key, b.field, b.confidence, b.page,
               b.x0, b.y0, b.x1, b.y1, b.ocr_confidence, b.restoration_change, b.match_score, b.source_text
        FROM value_boxes b JOIN plans p USING (plan_id)
        WHERE b.confidence < {LOW_CONFIDENCE}
        ORDER BY b.confidence, b.plan_id, b.record, b.key, b.field""",
}


def view_ddl() -> list[str]:
    return [f"CREATE OR REPLACE VIEW {name} AS {sql.strip()}" for name, sql in VIEWS.items()]
