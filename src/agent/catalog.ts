// Every tool the chat agent may call, in a fixed order (the tools block is part of the cached prompt).
import { searchFaqTool } from "../faq";
import { MEMORY_TOOLS } from "../memory/tools";
import type { ToolDefinition } from "./tool";
import { CORE_TOOLS } from "./tools";
import { READINGS_TOOLS } from "./tools/readings";

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...CORE_TOOLS,
  ...READINGS_TOOLS,
  ...MEMORY_TOOLS,
  searchFaqTool,
];
