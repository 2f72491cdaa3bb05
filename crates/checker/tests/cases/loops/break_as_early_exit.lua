-- `if not x then break end` narrows `x` for the rest of the body.
type Row = {id: integer}
local function total(next_row: () -> Row?): integer
    local t = 0
    while true do
        local row = next_row()
        if not row then
            break
        end
        t = t + row.id
    end
    return t
end
print(total(function() return nil end))
