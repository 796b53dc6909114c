"""outbox: the response_url an edit may go through

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 20:30:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('response_url_until', bot.db.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('response_url_until')
        batch_op.drop_column('response_url')
