-- Positions from string.find are integers (or nil): arithmetic on them stays integer.
local s = "key=value"
local eq = s:find("=", 1, true)
if eq then
    print(s:sub(1, eq - 1), s:sub(eq + 1))
end
