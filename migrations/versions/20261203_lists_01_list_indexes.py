"""indexes on the sort and filter columns of the lists (needs board and list, packages, trial requests,
introductions, notifications, directory, admin users)

Revision ID: lists_01
Revises: api_01
Create Date: 2026-12-03 17:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'lists_01'
down_revision = 'kpi_01'
branch_labels = None
depends_on = None

INDEXES = [
    ('regulatory_needs', 'ix_regulatory_needs_updated', ['updated_at', 'id']),
    ('regulatory_needs', 'ix_regulatory_needs_status_updated', ['status', 'updated_at']),
    ('regulatory_needs', 'ix_regulatory_needs_group_id', ['group_id']),
    ('regulatory_needs', 'ix_regulatory_needs_assignee_id', ['assignee_id']),
    ('proposal_packages', 'ix_proposal_packages_updated', ['updated_at', 'id']),
    ('trial_requests', 'ix_trial_requests_created', ['created_at', 'id']),
    ('introductions', 'ix_introductions_created', ['created_at', 'id']),
    ('notifications', 'ix_notifications_recipient_created', ['recipient_id', 'created_at']),
    ('organisations', 'ix_organisations_status_name', ['status', 'name_ja']),
    ('organisations', 'ix_organisations_municipality', ['municipality']),
    ('users', 'ix_users_role', ['role']),
]


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
