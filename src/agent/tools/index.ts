// The tools every deployment registers, in a fixed order (the tools block is part of the cached prompt
// prefix). Health, memory, goal, FAQ and handover tools are appended from their own folders.
import type { ToolDefinition } from "../tool";
import { calculateTool } from "./calculate";
import { currentDateTimeTool } from "./current-datetime";

export const CORE_TOOLS: readonly ToolDefinition[] = [currentDateTimeTool, calculateTool];
