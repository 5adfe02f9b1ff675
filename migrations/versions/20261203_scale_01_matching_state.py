"""matching state kept with the data: stored analyses (with a full-text index: PostgreSQL tsvector +
GIN, SQLite FTS5), term counts per corpus, the analyser version stamp, similar-need pairs

Revision ID: scale_01
Revises: rel_02
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from models.matching import FTS_SQLITE, FTS_SQLITE_DROP


# revision identifiers, used by Alembic.
revision = 'scale_01'
down_revision = 'rel_02'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.create_table(
        'match_analyses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=100), nullable=False),
        sa.Column('digest', sa.String(length=40), nullable=False),
        sa.Column('analysis', sa.Text(), nullable=False),
        sa.Column('search', postgresql.TSVECTOR() if postgres else sa.Text(), nullable=False),
        sa.Column('corpora', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_analyses')),
        sa.UniqueConstraint('kind', 'item_id', name='uq_match_analyses_kind_item'),
    )
    if postgres:
        op.create_index('ix_match_analyses_search', 'match_analyses', ['search'], postgresql_using='gin')
    else:
        for statement in FTS_SQLITE:
            op.execute(statement)
    op.create_table(
        'match_term_counts',
        sa.Column('corpus', sa.String(length=20), nullable=False),
        sa.Column('term', sa.String(length=200), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('corpus', 'term', name=op.f('pk_match_term_counts')),
    )
    op.create_table(
        'match_state',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_match_state')),
    )
    op.create_table(
        'need_pairs',
        sa.Column('need_a_id', sa.Integer(), nullable=False),
        sa.Column('need_b_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['need_a_id'], ['regulatory_needs.id'],
                                name=op.f('fk_need_pairs_need_a_id_regulatory_needs'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['need_b_id'], ['regulatory_needs.id'],
                                name=op.f('fk_need_pairs_need_b_id_regulatory_needs'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('need_a_id', 'need_b_id', name=op.f('pk_need_pairs')),
    )
    op.create_index(op.f('ix_need_pairs_need_b_id'), 'need_pairs', ['need_b_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_need_pairs_need_b_id'), table_name='need_pairs')
    op.drop_table('need_pairs')
    op.drop_table('match_state')
    op.drop_table('match_term_counts')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_match_analyses_search', table_name='match_analyses')
    else:
        for statement in FTS_SQLITE_DROP:
            op.execute(statement)
    op.drop_table('match_analyses')
