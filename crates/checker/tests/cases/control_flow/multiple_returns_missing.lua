-- Declared `(string, integer)` returns: the end is reachable.
local function pair(b: boolean): (string, integer) -- expect-error: E0010 missing return: the function is declared to return (string, integer)
    if b then
        return "a", 1
    end
end
print(pair(true))
