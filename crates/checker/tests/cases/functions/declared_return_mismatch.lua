-- Returned values are checked against the declared returns.
local function name_of(id: integer): string
    if id == 0 then
        return nil -- expect-error: returned value 1 is nil, not string
    end
    return tostring(id)
end
local function pair(): (string, integer)
    return "a", "b" -- expect-error: returned value 2 is string, not integer
end
print(name_of(1), pair())
