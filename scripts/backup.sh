#!/bin/sh
# Back up Registrar's PostgreSQL database to one file (pg_dump's custom format: compressed,
# restorable table by table, in parallel).
#   scripts/backup.sh postgresql://registrar:...@db:5432/registrar registrar-$(date +%F).dump
# A consistent snapshot: pg_dump reads in one transaction while the service keeps running.
set -eu
url=${1:?usage: backup.sh DATABASE_URL FILE}
file=${2:?usage: backup.sh DATABASE_URL FILE}
pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$file"
echo "backed up to $file ($(wc -c < "$file") bytes)"
