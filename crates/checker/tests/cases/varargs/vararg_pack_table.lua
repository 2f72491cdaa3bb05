-- `{...}` and `table.unpack`.
local function first(...): any
    local t = {...}
    return t[1]
end
print(first(1), table.unpack({1, 2}))
