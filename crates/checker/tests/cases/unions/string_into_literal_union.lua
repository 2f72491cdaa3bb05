-- A plain string may be any of a literal union's strings: not provably wrong.
type Level = "debug" | "info"
local function log(level: Level)
    print(level)
end
local function pick(s: string)
    log(s)
end
pick("debug")
