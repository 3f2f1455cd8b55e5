"""`companion methods add|list|remove|check`: payment methods, secrets read from stdin (never from argv)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK, positive_int
from companion.credentials.store import CredentialsUnavailable
from companion.domain.errors import ValidationError
from companion.domain.payment_methods import BANK_RULES, FIELDS, KINDS, check_bank_country, fields_for

if TYPE_CHECKING:
    from companion.services import Services

_FIELD_LIST = "\n".join(
    f"  {kind + ':':<10}{', '.join(f.name for f in FIELDS[kind]) or 'names you choose (letters, digits, space . _ -)'}"
    for kind in KINDS
)

_COUNTRY_LIST = "\n".join(
    f"  {code + ':':<10}{', '.join(f'{spec.name} = {spec.title}' for spec in rule.fields)}"
    for code, rule in BANK_RULES.items()
)

ADD_HELP = f"""\
Secret fields are read from standard input, never from the command line (argv is visible to other programs
and kept in shell history). Give one `field=value` line per field, or one JSON object:

  printf 'email=name@example.com\\n' | companion methods add --kind paypal --label "PayPal main"
  companion methods add --kind bank --label Savings < bank.json   # {{"holder": "…", "iban": "…"}}

Fields by kind (paypal and payoneer need email; bank needs holder and an iban or account_number):
{_FIELD_LIST}

A bank's fields follow its `country` (two letters): iban in a country that has IBANs, else the national
details (format rules for GB, AU, IN, CA; python-stdnum's checks elsewhere):
{_COUNTRY_LIST}

Blank lines and lines starting with # are ignored. On a terminal, each field is asked for without echo.
The secrets go to the OS keyring; the database keeps only the label and a masked hint.
"""


def register(commands: Any) -> None:
    methods = commands.add_parser("methods", help="payment methods (secrets in the OS keyring)")
    actions = methods.add_subparsers(dest="methods_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a payment method; secret fields from stdin",
        description=ADD_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("--kind", required=True, choices=KINDS, help="kind of method")
    add.add_argument("--label", required=True, help="your name for it, e.g. 'PayPal main' (not secret)")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="ids, labels and masked hints (never a secret)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="delete a method and its keyring entries")
    remove.add_argument("id", type=positive_int, metavar="ID")
    remove.set_defaults(handler=_remove)
    check = actions.add_parser("check", help="report keyring entries and methods that lost their partner")
    check.add_argument("--clean", action="store_true", help="remove what was reported")
    check.set_defaults(handler=_check)


def parse_secret_input(text: str) -> dict[str, str]:
    """`field=value` lines or a JSON object → field → value. Errors name the line, never its content."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"standard input is not valid JSON (line {exc.lineno})", "stdin") from None
        except (ValueError, RecursionError):  # a number of thousands of digits, or nesting thousands deep
            raise ValidationError(
                "standard input is not a JSON object of field names and text values", "stdin"
            ) from None
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ValidationError("the JSON object must map field names to text values", "stdin")
        return data
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, sep, value = stripped.partition("=")
        if not sep or not name.strip():
            raise ValidationError(f"standard input line {number}: expected field=value", "stdin")
        if name.strip() in values:
            raise ValidationError(f"standard input line {number}: field {name.strip()} given twice", "stdin")
        values[name.strip()] = value.strip()
    return values


def _ask(kind: str, err: TextIO) -> dict[str, str]:
    """Interactive: each field without echo (getpass writes its prompt to the terminal, not stdout)."""
    if FIELDS[kind]:
        print("Press Enter to leave an optional field empty.", file=err)
        country = input("Bank country (two letters; Enter for any): ").strip() if kind == "bank" else ""
        specs = [spec for spec in fields_for(kind, check_bank_country(country) if country else "")
                 if spec.name != "country"]  # fmt: skip
        values = {spec.name: getpass.getpass(f"{spec.title}{'' if spec.required else ' (optional)'}: ")
                  for spec in specs}  # fmt: skip
        return values | {"country": country} if country else values
    print("Type field=value, one per prompt; an empty line ends.", file=err)
    lines = []
    while line := getpass.getpass("field=value: "):
        lines.append(line)
    return parse_secret_input("\n".join(lines))


def _add(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    health = services.methods.keyring_health()
    if not health.secure:
        raise CredentialsUnavailable(f"Not saved. {health.detail}")
    stdin = sys.stdin
    values = _ask(args.kind, err) if stdin.isatty() else parse_secret_input(stdin.read())
    method = services.methods.add(args.kind, args.label, values)
    print(f"added payment method {method.id}: {method.label} ({method.hint})", file=out)
    return EXIT_OK


def _list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    methods = services.methods.list()
    if args.json:
        rows = [{"id": m.id, "kind": m.kind, "label": m.label, "hint": m.hint} for m in methods]
        print(json.dumps(rows, ensure_ascii=False), file=out)
        return EXIT_OK
    if not methods:
        print("no payment methods yet (add one with: companion methods add --kind paypal --label NAME)", file=err)
    for m in methods:
        print(f"{m.id}\t{m.kind_title}\t{m.label}\t{m.hint}", file=out)
    return EXIT_OK


def _remove(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    method = services.methods.remove(args.id)
    print(f"removed payment method {method.id}: {method.label} and its keyring entries", file=out)
    return EXIT_OK


def _check(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    found = services.methods.orphans()
    print(found.describe(), file=out)
    if not found.complete:
        print("(this keyring cannot list its entries: only those the app recorded were checked)", file=out)
    if found and args.clean:
        removed = services.methods.clean_orphans(found)
        print(f"cleaned {removed}", file=out)
        return EXIT_OK
    return EXIT_OK
