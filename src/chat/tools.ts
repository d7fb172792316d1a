// Every tool the chat agent may call, in a fixed order (the tools block is part of the cached prompt).

import type { ToolDefinition } from "../agent/tool";
import { CORE_TOOLS } from "../agent/tools";

export const ALL_TOOLS: readonly ToolDefinition[] = [...CORE_TOOLS];
