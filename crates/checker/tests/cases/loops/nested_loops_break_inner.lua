-- `break` leaves only the inner loop.
local function f(rows: {{integer}}): integer
    local total = 0
    for _, row in ipairs(rows) do
        for _, v in ipairs(row) do
            if v < 0 then
                break
            end
            total = total + v
        end
        total = total + 1
    end
    return total
end
print(f({}))
