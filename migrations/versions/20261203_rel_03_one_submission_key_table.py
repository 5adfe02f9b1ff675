"""One table of submission keys for forms and the API: `submissions` and `api_idempotency_keys` become
`submission_keys` (primary key: user and key; the API's request digest kept, empty for forms)

Revision ID: rel_03
Revises: lists_01
Create Date: 2026-12-03 19:40:00

"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'rel_03'
down_revision = 'lists_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'submission_keys',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('request_digest', sa.String(length=64), nullable=True),
        sa.Column('result_url', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_submission_keys_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_submission_keys')),
    )
    # Form keys were unique on their own, API keys per user: both fit (user, key).
    op.execute('INSERT INTO submission_keys (user_id, "key", request_digest, result_url, created_at) '
               'SELECT user_id, "key", NULL, result_url, created_at FROM submissions')
    op.execute('INSERT INTO submission_keys (user_id, "key", request_digest, result_url, created_at) '
               'SELECT a.user_id, a."key", a.request_digest, a.result_url, a.created_at FROM api_idempotency_keys a '
               'WHERE NOT EXISTS (SELECT 1 FROM submission_keys s WHERE s.user_id = a.user_id AND s."key" = a."key")')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_user_id'))
    op.drop_table('submissions')
    op.drop_table('api_idempotency_keys')


def downgrade():
    op.create_table(
        'api_idempotency_keys',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('request_digest', sa.String(length=64), nullable=False),
        sa.Column('result_url', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_idempotency_keys_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_api_idempotency_keys')),
    )
    op.create_table(
        'submissions',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('result_url', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_submissions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_submissions')),
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_user_id'), ['user_id'], unique=False)
    op.execute('INSERT INTO api_idempotency_keys (user_id, "key", request_digest, result_url, created_at) '
               'SELECT user_id, "key", request_digest, result_url, created_at FROM submission_keys '
               'WHERE request_digest IS NOT NULL')
    # The old form table had one user per key: a key that two users sent keeps the lower user's row.
    op.execute('INSERT INTO submissions ("key", user_id, result_url, created_at) '
               'SELECT k."key", k.user_id, k.result_url, k.created_at FROM submission_keys k '
               'WHERE k.request_digest IS NULL AND length(k."key") <= 64 AND NOT EXISTS (SELECT 1 FROM submission_keys e '
               'WHERE e."key" = k."key" AND e.request_digest IS NULL AND e.user_id < k.user_id)')
    op.drop_table('submission_keys')
