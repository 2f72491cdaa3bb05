-- A value declared `number` may be a float: not an integer.
local function rep(s: string, times: number): string
    return string.rep(s, times) -- expect-error: argument 2 (n) is number, not integer
end
print(rep("a", 3))
