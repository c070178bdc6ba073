"""`python -m services.identity.keys rotate|prune|list`: the signing keys, for ops.

rotate: a new key signs from now on (the old ones stay published); prune: remove the keys
replaced longer ago than an access token lives; list: the key ids, newest (signing) first.
"""

import argparse
from datetime import timedelta

from services.identity.adapters.key_files import KeyFiles
from services.identity.settings import IdentitySettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.identity.keys")
    parser.add_argument("command", choices=["rotate", "prune", "list"])
    args = parser.parse_args(argv)
    settings = IdentitySettings()
    keys = KeyFiles(settings.identity_keys_dir)
    if args.command == "rotate":
        print(f"signing with {keys.rotate().kid} from now on")
    elif args.command == "prune":
        lifetime = timedelta(hours=settings.auth_max_token_hours)
        removed = keys.prune(lifetime)
        print(f"removed {len(removed)} key(s): {', '.join(removed) or 'none'}")
    else:
        for key in keys.published():
            print(key.kid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
