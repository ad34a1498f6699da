#!/bin/sh
# Every Medverk container: each secret file named like a variable (/run/secrets/MEDVERK_...)
# becomes that variable, then the internal tokens (F3) are derived from the secret key as
# `make run` derives them, then the part's command runs. No secret is in the image or in
# the compose file.
set -eu
umask 0077
for file in /run/secrets/*; do
    [ -r "$file" ] || continue
    name="$(basename "$file")"
    case "$name" in
        *[!A-Z0-9_]*) continue ;;
    esac
    value="$(cat "$file")"
    export "$name=$value"
done
if [ -z "${MEDVERK_SECRET_KEY:-}" ]; then
    echo "the secret MEDVERK_SECRET_KEY is missing (docs/deployment.md)" >&2
    exit 1
fi
eval "$(/opt/medverk/.venv/app/bin/python -c '
import os, shlex
from medverk.settings import load_settings
from medverk.stack_secrets import internal_tokens
tokens = internal_tokens(dict(os.environ))
tokens["MEDVERK_RASA_API_TOKEN"] = load_settings().rasa_api_token
for key, value in tokens.items():
    print(f"export {key}={shlex.quote(value)}")
')"
exec "$@"
