"""Command-line commands: `flask create-admin`, `seed-demo`, `compile-translations`, `send-mail`,
`reanalyse`, `kpis close-year`, `matcher learn`, `backup`, `restore`, `seed-scale`, `purge-login-attempts`."""
from __future__ import annotations

import getpass
import time
from pathlib import Path

import click
from flask import Flask, current_app

from app.auth.passwords import hash_password
from app.auth.services import create_admin as make_admin
from app.auth.services import purge_login_attempts as purge_old_attempts
from app.core.analyses import reanalyse as reanalyse_all
from app.core.backup import BackupError, create_backup, restore_backup
from app.core.i18n import compile_catalogs
from app.core.mail import send_due_mail, waiting_mail_count
from app.core.fiscal import current_fiscal_year
from app.demo import DemoRefused, demo_logins, load_demo
from app.demo.scale import SCALE_PASSWORD, seed_scale
from app.introductions import learning
from app.needs import learning as need_learning
from app.kpis import figure_services
from models import db


def register_commands(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True, default="Administrator")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create the first administrator (or make an existing account one)."""
        if len(password) < 10:
            raise click.BadParameter("use at least 10 characters", param_hint="password")
        user = make_admin(email, name, password)
        db.session.commit()
        click.echo(f"Administrator {user.email} is ready.")

    @app.cli.command("seed-demo")
    @click.option("--force", is_flag=True, help="Load even when the database already has data.")
    @click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
    def seed_demo(force: bool, if_empty: bool) -> None:
        """Load the demo organisations, users and content."""
        try:
            logins = load_demo(force=force)
        except DemoRefused as refused:
            if if_empty:
                click.echo("The database already has data; demo not loaded.")
                return
            raise click.ClickException(str(refused)) from refused
        db.session.commit()
        click.echo("Demo data loaded. Demo logins:")
        for role, email, password in logins:
            click.echo(f"  {role:<12} {email:<40} {password}")

    @app.cli.command("reanalyse")
    @click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
    def reanalyse(batch: int) -> None:
        """Bring every stored matching analysis up to date (missing, stale or of an older analyser or
        synonym list) and stamp the analyser version; unchanged texts are not analysed again."""
        analysed = reanalyse_all(batch=batch, echo=click.echo)
        click.echo(f"{analysed} texts analysed; stored analyses are current.")

    @app.cli.command("seed-scale")
    @click.option("--needs", "needs", type=click.IntRange(1, 2_000_000), required=True,
                  help="How many regulatory needs; the other kinds follow in proportion.")
    @click.option("--seed", type=int, default=13, show_default=True)
    def seed_scale_command(needs: int, seed: int) -> None:
        """Add synthetic data in proportion to N needs, for measuring (`make bench-app`)."""
        started = time.perf_counter()
        seeded = seed_scale(needs, seed=seed, password_hash=hash_password(SCALE_PASSWORD))
        db.session.commit()
        click.echo(f"{seeded} in {time.perf_counter() - started:.1f} s (password of every account: {SCALE_PASSWORD})")

    @app.cli.command("purge-login-attempts")
    def purge_login_attempts() -> None:
        """Delete failed login attempts too old to count (run it daily, e.g. from cron)."""
        deleted = purge_old_attempts()
        db.session.commit()
        click.echo(f"{deleted} old login attempts deleted.")

    @app.cli.command("demo-logins")
    def print_demo_logins() -> None:
        """Print the demo logins."""
        for role, email, password in demo_logins():
            click.echo(f"  {role:<12} {email:<40} {password}")

    @app.cli.command("compile-translations")
    def compile_translations() -> None:
        """Compile the .po catalogs into .mo files."""
        for path in compile_catalogs():
            click.echo(f"compiled {path}")

    @app.cli.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep running: send what is due, then wait and look again.")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds between looks with --loop.")
    def send_mail_command(loop: bool, interval: float) -> None:
        """Send the e-mails waiting in the outbox (retries with backoff). For MAIL_DELIVERY=worker."""
        while True:
            try:
                sent, failed = send_due_mail()
            except Exception as error:  # database unreachable: keep the worker alive and try again
                if not loop:
                    raise
                click.echo(f"send-mail: {type(error).__name__}: {error}", err=True)
                sent = failed = 0
            finally:
                db.session.remove()
            if sent or failed or not loop:
                click.echo(f"sent {sent}, failed {failed}, waiting {waiting_mail_count()}")
            if not loop:
                return
            time.sleep(interval)

    @app.cli.group("kpis")
    def kpis_group() -> None:
        """KPI figures: the stored figures of closed fiscal years."""

    @kpis_group.command("close-year")
    @click.argument("years", nargs=-1, type=int)
    @click.option("--since", type=int, help="Every closed year from this one on.")
    @click.option("--all", "every_stored", is_flag=True,
                  help="Every closed year that has stored figures (after data was changed outside the app).")
    def close_year(years: tuple[int, ...], since: int | None, every_stored: bool) -> None:
        """Compute and store the figures of closed fiscal years (default: the year just ended).

        Pages then read them instead of aggregating the year's rows. Run it after 1 April, and after
        changing data of past years outside the app (bulk SQL, imports); changes made through the app
        are noticed by themselves."""
        current = current_fiscal_year()
        wanted = set(years)
        if since is not None:
            wanted.update(range(since, current))
        if every_stored:
            wanted.update(figure_services.stored_years())
        if not wanted:
            wanted = {current - 1}
        if any(year >= current for year in wanted):
            raise click.ClickException(f"FY{current} and later are not closed yet: their figures are always computed live.")
        if any(year < 1900 for year in wanted):
            raise click.ClickException("Fiscal years before 1900 are not kept.")
        figure_services.recompute(wanted, echo=click.echo)
        db.session.commit()

    @app.cli.group("matcher")
    def matcher_group() -> None:
        """The matcher: weights learnt from the secretariat's decisions."""

    @matcher_group.command("learn")
    @click.option("--apply", "apply_", is_flag=True, help="Rank trial requests with the fitted weights from now on.")
    @click.option("--reset", is_flag=True, help="Go back to the library's default weights (nothing is fitted).")
    @click.option("--dev-set", "dev_sets", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
                  help="A development set folder (candidates.jsonl, queries.jsonl, qrels.tsv) to compare on; repeatable.")
    @click.option("--min-labels", default=20, show_default=True, help="Fewer labels than this: the defaults stay.")
    @click.option("--l2", default=2.0, show_default=True, help="Pull toward the default weights' shape.")
    @click.option("--by", "applied_by", default=None, help="Who applies them (default: the system user).")
    def matcher_learn(apply_: bool, reset: bool, dev_sets: tuple[Path, ...], min_labels: int, l2: float,
                      applied_by: str | None) -> None:
        """Fit the score components' weights to introductions agreed, accepted and declined and to
        candidates dismissed as not relevant, and report defaults vs fitted on those labels and on
        the development sets. Nothing is stored without --apply. The need-pair weights are fitted to
        the proposal packages (needs merged, similar needs kept apart) and reported only."""
        who = applied_by or getpass.getuser()
        if reset:
            learning.reset(who)
            db.session.commit()
            click.echo("Trial requests are ranked with the library's default weights again.")
            return
        report = learning.learn(dev_sets=list(dev_sets), apply=apply_, applied_by=who, min_labels=min_labels, l2=l2)
        if report.applied:
            db.session.commit()
        for line in learning.report_lines(report):
            click.echo(line)
        click.echo("")
        for line in need_learning.report_lines(need_learning.learn_need_weights(min_labels=min_labels, l2=l2)):
            click.echo(line)

    @app.cli.command("backup")
    @click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Folder for the archive (default: instance/backups).")
    def backup_command(directory: Path | None) -> None:
        """Write the database (online: the app may keep serving) and the uploaded files into one dated archive."""
        target = directory or Path(current_app.instance_path) / "backups"
        try:
            archive, manifest = create_backup(target)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        finally:
            db.session.remove()
        files = len(manifest.files) - 1
        click.echo(f"{archive}: {manifest.engine} at migration {', '.join(manifest.revision) or 'none'}, "
                   f"{sum(manifest.tables.values())} rows in {len(manifest.tables)} tables, {files} files")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--replace", is_flag=True, help="Overwrite a database and upload folder that already hold data.")
    def restore_command(archive: Path, replace: bool) -> None:
        """Restore an archive of `flask backup` (checked completely first; refuses to overwrite data without --replace)."""
        try:
            restored = restore_backup(archive, replace=replace)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        finally:
            db.session.remove()
        click.echo(f"restored {archive} of {restored.manifest.created_at}: {sum(restored.tables.values())} rows in "
                   f"{len(restored.tables)} tables, {restored.files} files; row counts match the backup's")
