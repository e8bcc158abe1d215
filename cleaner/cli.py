"""The `clean` command: a thin click layer over the library.

``clean FILE|DIR|- ...`` cleans documents; ``clean rules list|check`` shows and tests rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

import click
from click.core import ParameterSource

from .core import Cleaner
from .limits import DEFAULT_TIMEOUT
from .rules import RuleError, load_rules


def _codes(values: Sequence[str]) -> list[str]:
    return [t for v in values for t in v.split(",") if t.strip()]


def _cleaner(rules: Sequence[str], select: Sequence[str], ignore: Sequence[str], text_kind: str = "auto") -> Cleaner:
    try:
        return Cleaner(rules, select=_codes(select), ignore=_codes(ignore), text_kind=text_kind)
    except RuleError as exc:
        raise click.UsageError(str(exc)) from None


class _DefaultGroup(click.Group):
    """A group whose first argument, when it names no subcommand, goes to ``run``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner")
def main() -> None:
    """Strip boilerplate (donation appeals, read-also blocks, comment notices, newsletter,
    share and cookie prompts) from news articles in text or HTML.

    \b
    clean FILE...            print the clean article(s)
    clean DIR -o OUTDIR      mirror a folder tree
    clean rules list|check   show or test the rules
    clean eval CORPUS        score against gold
    Options of `clean FILE`: clean run --help
    """


rule_options = [
    click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
                 help="Extra rule file or folder (TOML); repeatable."),
    click.option("--select", multiple=True, help="Only these codes, code prefixes or categories (comma-separated)."),
    click.option("--ignore", multiple=True, help="Leave out these codes, code prefixes or categories."),
]


def _with_rule_options(f):
    for opt in reversed(rule_options):
        f = opt(f)
    return f


@main.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), help="Output file, or folder (mirrors the input tree).")
@click.option("--input-format", type=click.Choice(["text", "html", "jsonl", "warc"]),
              help="Override format detection (jsonl/warc: the inputs hold records).")
@click.option("--text-kind", type=click.Choice(["auto", "article", "page"]), default="auto", show_default=True,
              help="Text input is an article, a whole-page dump (keep only its main text), or auto-detected.")
@_with_rule_options
@click.option("--report", type=click.Path(dir_okay=False), help="Write every removal as JSON Lines here.")
@click.option("--explain", is_flag=True, help="Print what was removed and why to stderr.")
@click.option("--include", multiple=True, help="Glob of files to take from folders (default: text, HTML, JSONL, WARC).")
@click.option("--exclude", multiple=True, help="Glob of files to leave out of folders.")
@click.option("--text-field", default="text", show_default=True,
              help="JSONL: field holding the text (naming only this field ignores the HTML field).")
@click.option("--html-field", default="html", show_default=True,
              help="JSONL: field holding the HTML, used first when present (naming only this field ignores the text field).")
@click.option("--with-removals", is_flag=True, help="JSONL/WARC output: add the removals to each record.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds allowed per document (0: no limit); a document over it fails.")
@click.option("--allow-nested-output", is_flag=True, help="Allow an output folder inside an input folder (left out of the walk).")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary line.")
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], output: str | None, input_format: str | None, text_kind: str,
        rules: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], report: str | None, explain: bool,
        include: tuple[str, ...], exclude: tuple[str, ...], text_field: str, html_field: str, with_removals: bool,
        jobs: int | None, timeout: float, allow_nested_output: bool, quiet: bool) -> None:
    """Clean files, folders or stdin (the default: `clean FILE` is `clean run FILE`)."""
    from .pipeline import Interrupted

    try:
        stats = _run(ctx, inputs, output, input_format, text_kind, rules, select, ignore, report, explain, include,
                     exclude, text_field, html_field, with_removals, jobs, timeout, allow_nested_output, quiet)
    except (Interrupted, KeyboardInterrupt) as exc:
        from .progress import Stats

        s = exc.stats if isinstance(exc, Interrupted) else Stats()
        click.echo(f"clean: interrupted after {s.files} files ({s.documents} documents, {s.failed} failed)", err=True)
        sys.exit(130)
    except RuntimeError as exc:
        from concurrent.futures import BrokenExecutor

        if not isinstance(exc, BrokenExecutor):
            raise
        click.echo(f"clean: error: a worker process died: {exc}", err=True)
        sys.exit(1)
    several = stats.files + stats.failed > 1 or stats.documents > stats.files
    if not quiet and (several or output is not None):
        click.echo(stats.summary(), err=True)
    if stats.failed:
        sys.exit(1)


def _run(ctx, inputs, output, input_format, text_kind, rules, select, ignore, report, explain, include, exclude,
         text_field, html_field, with_removals, jobs, timeout, allow_nested_output, quiet):
    from .parallel import cpu_count
    from .pipeline import Run, Settings, UsageProblem
    from .tasks import Job

    cleaner = _cleaner(rules, select, ignore, text_kind)
    given = {p: ctx.get_parameter_source(p) == ParameterSource.COMMANDLINE for p in ("text_field", "html_field")}
    if given["text_field"] != given["html_field"]:   # one field named: that field only
        text_field, html_field = (text_field, "") if given["text_field"] else ("", html_field)
    container = input_format if input_format in ("jsonl", "warc") else None
    job = Job(cleaner, input_format=None if container else input_format, timeout=timeout or None,
              text_field=text_field or None, html_field=html_field or None, with_removals=with_removals)
    settings = Settings(output=output, include=include, exclude=exclude, allow_nested_output=allow_nested_output,
                        jobs=jobs or cpu_count(), report=report, explain=explain,
                        progress=not quiet and _is_terminal(sys.stderr), container_format=container)
    try:
        batch = Run(list(inputs), job, settings)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    return batch.execute()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@main.group("rules")
def rules_group() -> None:
    """Show and test rules."""


@rules_group.command("list")
@_with_rule_options
def rules_list(rules: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Print the rules as a table."""
    cleaner = _cleaner(rules, select, ignore)
    rows = [(r.code, r.category, r.scope, r.where, r.action, ",".join(r.lang) or "-", r.name, r.summary)
            for r in cleaner.rules]
    head = ("CODE", "CATEGORY", "SCOPE", "WHERE", "ACTION", "LANG", "NAME", "SUMMARY")
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)][:-1]
    for row in [head, *rows]:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths)) + "  " + row[-1])


@rules_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def rules_check(paths: tuple[str, ...]) -> None:
    """Run every rule's examples (the built-in rules, or the rules in PATHS)."""
    from .checks import check_example, example_cases

    try:
        all_rules = load_rules(paths)
    except RuleError as exc:
        click.echo(f"clean: error: {exc}", err=True)
        sys.exit(1)
    mine = [r for r in all_rules if not paths or any(Path(r.source).resolve().is_relative_to(Path(p).resolve())
                                                     for p in paths)]
    cases = list(example_cases(mine))
    failures = [msg for case in cases if (msg := check_example(case, all_rules))]
    for msg in failures:
        click.echo(f"FAIL {msg}")
    click.echo(f"{len(mine)} rules, {len(cases)} examples, {len(failures)} failed")
    if failures:
        sys.exit(1)


@main.command("eval")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--input", "input_field", type=click.Choice(["html", "text_recall", "text_page", "text"]),
              help="Record field to clean (default: html for JSONL, the files for fixture folders).")
@_with_rule_options
@click.option("--baseline", "baselines", multiple=True, type=click.Choice(["identity", "trafilatura"]),
              help="Score a reference in the same run: the input unchanged, or trafilatura.extract (HTML).")
@click.option("--against", help="Compare with an older rule set: 'builtin' or a rule file/folder (added to the built-ins).")
@click.option("--against-ignore", multiple=True, help="Codes, prefixes or categories left out of the --against rules.")
@click.option("--against-select", multiple=True, help="Only these in the --against rules.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write every figure as JSON here.")
@click.option("--limit", type=int, help="Only the first N documents.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--floors", type=click.Path(dir_okay=False), help="Fail (exit 1) when a figure crosses these floors.")
@click.option("--update-floors", is_flag=True, help="Write the figures to --floors (raising only, unless --allow-lower).")
@click.option("--allow-lower", is_flag=True, help="Let --update-floors lower a floor.")
def eval_cmd(corpora, input_field, rules, select, ignore, baselines, against, against_ignore, against_select,
             json_path, limit, jobs, floors, update_floors, allow_lower) -> None:
    """Score the cleaner on CORPORA (JSONL[.gz] files or fixture folders) against their gold."""
    from .evaluate import check_floors, evaluate, floors_from, lowered, read_corpus, render, to_json

    cleaner = _cleaner(rules, select, ignore)
    old = None
    if against or against_ignore or against_select:
        extra = [] if against in (None, "builtin") else [against]
        old = _cleaner(extra, against_select, against_ignore)
    results = []
    failed = False
    for corpus in corpora:
        records = list(read_corpus(corpus, limit))
        with click.progressbar(length=len(records), label=f"eval {Path(corpus).name}", file=sys.stderr) as bar:
            run = evaluate(corpus, cleaner=cleaner, input_field=input_field, baselines=baselines, against=old,
                           jobs=jobs, progress=bar.update, records=records)
        click.echo(render(run))
        click.echo("")
        results.append(to_json(run))
        if floors:
            summary = run.systems["cleaner"].summary()
            fpath = Path(floors)
            pinned = json.loads(fpath.read_text(encoding="utf-8")) if fpath.exists() else {}
            if update_floors:
                new = floors_from(summary)
                down = lowered(pinned, new)
                if down and not allow_lower:
                    click.echo(f"clean: error: would lower {', '.join(down)}; pass --allow-lower to accept", err=True)
                    sys.exit(1)
                fpath.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                click.echo(f"floors written to {fpath}")
            else:
                for msg in check_floors(summary, pinned):
                    failed = True
                    click.echo(f"FLOOR {msg}")
    if json_path:
        Path(json_path).write_text(json.dumps(results if len(results) > 1 else results[0], indent=1,
                                              ensure_ascii=False), encoding="utf-8")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
