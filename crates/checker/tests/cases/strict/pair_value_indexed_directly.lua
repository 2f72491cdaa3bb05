-- mode: strict
-- The same in strict mode: the value may be nil.
type Row = {status: string}
local function get(id: integer): (Row?, string?)
    if id == 0 then
        return nil, "not found"
    end
    return {status = "ok"}, nil
end
print(get(1).status) -- expect-error: E0023 cannot index `get(…)`: it may be nil
