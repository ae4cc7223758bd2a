"""Action plan pages: the county start page, the plan view, the editor, versions and import/export."""

from actionplans.views.common import FIELD_LABELS
from actionplans.views.parts import (
    PART_KINDS,
    indicator_value_delete,
    indicator_values,
    part_create,
    part_delete,
    part_edit,
    part_move,
)
from actionplans.views.plans import (
    CompareForm,
    county_start,
    plan_adopt,
    plan_compare,
    plan_create,
    plan_delete,
    plan_detail,
    plan_edit,
    plan_editor,
    plan_list,
    plan_revise,
)
from actionplans.views.transfer import SESSION_IMPORT_KEY, plan_export, plan_import

__all__ = [
    "FIELD_LABELS",
    "county_start",
    "plan_list",
    "plan_create",
    "plan_detail",
    "plan_editor",
    "plan_edit",
    "plan_adopt",
    "plan_revise",
    "plan_delete",
    "CompareForm",
    "plan_compare",
    "PART_KINDS",
    "part_create",
    "part_edit",
    "part_delete",
    "part_move",
    "indicator_values",
    "indicator_value_delete",
    "plan_export",
    "SESSION_IMPORT_KEY",
    "plan_import",
]
