-- A literal outside a literal union.
type Level = "debug" | "info" | "warn"
local function log(level: Level, msg: string)
    print(level, msg)
end
log("info", "x")
log("eror", "x") -- expect-error: argument 1 (level) is "eror", not Level
