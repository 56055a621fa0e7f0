"""A legacy config converted by its tool's own migration (``adopt --migrate``), on a copy in
a scratch folder: nothing outside it is written."""

from __future__ import annotations

from pathlib import Path

from scaffold.adopters.base import Migration


class MigrationFailed(Exception):
    """A migration command that could not run or did not succeed."""


def run_migration(migration: Migration, name: str, content: bytes) -> bytes:
    """The migrated config: ``content`` saved as ``name`` in a scratch folder, the migration
    command run there, and its result read back. Nothing outside the scratch folder is
    written."""
    import shutil
    import subprocess

    from scaffold.interrupts import scratch_folder

    program = migration.command[0]
    if shutil.which(program) is None:
        raise MigrationFailed(f"{program} is not installed")
    with scratch_folder(".scaffold-migrate-") as scratch:
        Path(scratch, name).write_bytes(content)
        command = [part.replace("{file}", name) for part in migration.command]
        try:
            completed = subprocess.run(
                command,
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=300,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise MigrationFailed(str(error).splitlines()[0]) from None
        if completed.returncode != 0:
            output = (completed.stderr or completed.stdout).strip().splitlines()
            raise MigrationFailed(output[-1] if output else f"exit status {completed.returncode}")
        result = Path(scratch, migration.writes or name)
        if not result.is_file():
            raise MigrationFailed(f"it wrote no {result.name}")
        return result.read_bytes()
