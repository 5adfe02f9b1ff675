"""A stamp per corpus in match_term_counts (the term "\\x1fstamp"), set to a new random number by
every change of the corpus's counts: processes keep the counts they read under it (see
app/core/term_counts.py). Corpora counted before this revision get their first stamp here.

Revision ID: scale_04
Revises: scale_03
Create Date: 2026-12-06 04:30:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'scale_04'
down_revision = 'scale_03'
branch_labels = None
depends_on = None

STAMP = "\x1fstamp"


def upgrade():
    connection = op.get_bind()
    corpora = connection.execute(sa.text("SELECT DISTINCT corpus FROM match_term_counts WHERE term <> :stamp"),
                                 {"stamp": STAMP}).scalars().all()
    for corpus in corpora:
        connection.execute(sa.text("INSERT INTO match_term_counts (corpus, term, documents) VALUES (:corpus, :stamp, :n)"),
                           {"corpus": corpus, "stamp": STAMP, "n": secrets.randbelow(2**31 - 1) + 1})


def downgrade():
    op.get_bind().execute(sa.text("DELETE FROM match_term_counts WHERE term = :stamp"), {"stamp": STAMP})
