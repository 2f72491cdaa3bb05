-- A branch ending in `error(…)` does not reach the end.
local function need(n: number?): number
    if n then
        return n
    end
    error("n is required")
end
print(need(1))
