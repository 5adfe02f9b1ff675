"""Stored analyses' search tokens also name the corpora that count the row, so that retrieval can
search within one audience (members' shared summaries, all submitted needs, partners); an index of
the analyses by item (joins that choose the view by a condition)

Revision ID: match_05
Revises: match_04
Create Date: 2026-12-04 18:00:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'match_05'
down_revision = 'match_04'
branch_labels = None
depends_on = None


def _corpus_token(corpus):
    """app.core.analyses.corpus_token as of this revision (a migration keeps its own copy)."""
    return "t" + hashlib.blake2b(("\x1fcorpus:" + corpus).encode(), digest_size=6).hexdigest()


def _by_corpora(bind):
    values = bind.execute(sa.text("SELECT DISTINCT corpora FROM match_analyses WHERE corpora != ''")).scalars()
    return {corpora: " ".join(sorted(_corpus_token(c) for c in corpora.split())) for corpora in values}


def upgrade():
    op.create_index('ix_match_analyses_item_kind', 'match_analyses', ['item_id', 'kind'], unique=False)
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for corpora, tokens in _by_corpora(bind).items():
        added = "search || CAST(:tokens AS tsvector)" if postgres else "search || ' ' || :tokens"
        bind.execute(sa.text(f"UPDATE match_analyses SET search = {added} WHERE corpora = :corpora"),
                     {"tokens": tokens, "corpora": corpora})


def downgrade():
    op.drop_index('ix_match_analyses_item_kind', table_name='match_analyses')
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for corpora, tokens in _by_corpora(bind).items():
        if postgres:
            bind.execute(sa.text("UPDATE match_analyses SET search = ts_delete(search, CAST(:tokens AS text[])) "
                                 "WHERE corpora = :corpora"),
                         {"tokens": "{" + ",".join(tokens.split()) + "}", "corpora": corpora})
        else:
            for token in tokens.split():
                bind.execute(sa.text("UPDATE match_analyses SET search = trim(replace(' ' || search || ' ', "
                                     "' ' || :token || ' ', ' ')) WHERE corpora = :corpora"),
                             {"token": token, "corpora": corpora})
