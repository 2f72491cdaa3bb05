-- `error(…)` ends the path: nothing after it is checked as reachable.
local function need(x: string?): string
    if not x then
        error("x is required")
    end
    return x
end
print(need("a"))
