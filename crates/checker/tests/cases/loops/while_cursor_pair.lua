-- A cursor loop over a `(value, error?)` pair, checked each round.
local function drain(next_row: () -> ({id: integer}?, string?)): integer
    local n = 0
    while true do
        local row, err = next_row()
        if err then
            return -1
        end
        if not row then
            break
        end
        n = n + row.id
    end
    return n
end
print(drain(function() return nil, nil end))
