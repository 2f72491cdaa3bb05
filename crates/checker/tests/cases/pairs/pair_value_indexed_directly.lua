-- The value of a pair indexed at once, its error dropped: left to strict mode (as
-- `local v = f()` is).
type Row = {status: string}
local function get(id: integer): (Row?, string?)
    if id == 0 then
        return nil, "not found"
    end
    return {status = "ok"}, nil
end
print(get(1).status)
