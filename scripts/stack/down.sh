#!/usr/bin/env bash
# Stops the named local-stack services (all of them when none is named), newest first.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
services=("$@")
((${#services[@]})) || services=(mariadb redis pglite mongo openai intercom)
for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop_service "${services[i]}"; done
