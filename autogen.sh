#!/bin/sh
# Generate the configure script and Makefile.in files from a git checkout.
set -e
cd "$(dirname "$0")"
mkdir -p m4
autoreconf --force --install --warnings=all
