#!/bin/sh
# Restore a backup made by backup.sh into an EMPTY database (create it first: createdb), then
# bring its schema to this release's head: `registrar migrate` (a backup of an older release
# is upgraded; one already at head is left as it is).
#   createdb -h db -U postgres registrar_restored
#   scripts/restore.sh registrar-2026-11-30.dump postgresql://postgres@db:5432/registrar_restored
set -eu
file=${1:?usage: restore.sh FILE DATABASE_URL}
url=${2:?usage: restore.sh FILE DATABASE_URL}
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$url" "$file"
DATABASE_URL="$url" registrar migrate
echo "restored $file"
