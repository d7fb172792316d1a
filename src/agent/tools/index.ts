// The tools every deployment registers, in a fixed order (the tools block is part of the cached prompt
// prefix). The health, memory and FAQ tools come from their own folders (agent/catalog.ts).
import type { ToolDefinition } from "../tool";
import { calculateTool } from "./calculate";
import { currentDateTimeTool } from "./current-datetime";

export const CORE_TOOLS: readonly ToolDefinition[] = [currentDateTimeTool, calculateTool];
