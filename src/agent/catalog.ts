// Every tool the chat agent may call, in a fixed order (the tools block is part of the cached prompt).
import { searchFaqTool } from "../faq";
import { MEMORY_TOOLS } from "../memory/tools";
import type { ToolDefinition } from "./tool";
import { CORE_TOOLS } from "./tools";
import { HEALTH_TOOLS } from "./tools/health";

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...CORE_TOOLS,
  ...HEALTH_TOOLS,
  ...MEMORY_TOOLS,
  searchFaqTool,
];
