"""The `clean` command: a thin click layer over the library.

``clean FILE|DIR|- ...`` cleans documents; ``clean rules list|check`` shows and tests rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

import click

from .core import Cleaner
from .decode import InputError, decode, detect_format
from .report import Result, explain as explain_fn, write_jsonl
from .rules import RuleError, load_rules, select_rules
from .sources import iter_sources, output_path, write_atomic


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
@click.option("--input-format", type=click.Choice(["text", "html"]), help="Override format detection.")
@click.option("--text-kind", type=click.Choice(["auto", "article", "page"]), default="auto", show_default=True,
              help="Text input is an article, a whole-page dump (keep only its main text), or auto-detected.")
@_with_rule_options
@click.option("--report", type=click.Path(dir_okay=False), help="Write every removal as JSON Lines here.")
@click.option("--explain", is_flag=True, help="Print what was removed and why to stderr.")
@click.option("--include", multiple=True, help="Glob of files to take from folders (default: text and HTML).")
@click.option("--exclude", multiple=True, help="Glob of files to leave out of folders.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def run(inputs: tuple[str, ...], output: str | None, input_format: str | None, text_kind: str,
        rules: tuple[str, ...],
        select: tuple[str, ...], ignore: tuple[str, ...], report: str | None, explain: bool,
        include: tuple[str, ...], exclude: tuple[str, ...], quiet: bool) -> None:
    """Clean files, folders or stdin (the default: `clean FILE` is `clean run FILE`)."""
    cleaner = _cleaner(rules, select, ignore, text_kind)
    dir_input = any(i != "-" and Path(i).is_dir() for i in inputs)
    out_dir: Path | None = None
    out_file: Path | None = None
    if output:
        out = Path(output)
        if dir_input or len(inputs) > 1 or out.is_dir() or output.endswith(("/", "\\")):
            out_dir = out
        else:
            out_file = out
    elif dir_input:
        raise click.UsageError("a folder needs an output folder: clean DIR -o OUTDIR")
    if inputs.count("-") > 1:
        raise click.UsageError("stdin ('-') can be read once")
    input_paths = {Path(i).resolve() for i in inputs if i != "-"}
    skip = out_dir.resolve() if out_dir is not None else None

    report_fh = open(report, "w", encoding="utf-8") if report else None
    done = failed = 0
    try:
        for source in iter_sources(inputs, include, exclude, skip):
            try:
                result = _clean_one(cleaner, source.path, input_format)
                if out_dir is not None or out_file is not None:
                    target = out_file or output_path(out_dir, source, result.format)  # type: ignore[arg-type]
                    if target.resolve() in input_paths or (source.path and target.resolve() == source.path.resolve()):
                        raise InputError(f"refusing to overwrite an input with its output ({target})")
                    write_atomic(target, result.text)
                else:
                    sys.stdout.write(result.text)
                    if len(inputs) > 1 and result.text and not result.text.endswith("\n"):
                        sys.stdout.write("\n")
                    sys.stdout.flush()
            except (InputError, OSError, ValueError) as exc:
                failed += 1
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                click.echo(f"clean: error: {source.name}: {reason}", err=True)
                continue
            done += 1
            if report_fh:
                write_jsonl([result], report_fh)
            if explain:
                explain_fn(result, sys.stderr)
    finally:
        if report_fh:
            report_fh.close()
    if not quiet and (done + failed > 1 or out_dir is not None):
        click.echo(f"clean: {done} cleaned, {failed} failed", err=True)
    if failed:
        sys.exit(1)




def _clean_one(cleaner: Cleaner, path: Path | None, input_format: str | None) -> Result:
    data = sys.stdin.buffer.read() if path is None else path.read_bytes()
    name = "-" if path is None else str(path)
    return cleaner.clean(data, format=input_format, source=name)


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

