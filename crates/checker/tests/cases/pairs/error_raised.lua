-- `if err then error(err) end` ends the path: the value is not nil after it.
local function decode(s: string): any
    local data, err = json.decode(s)
    if err then
        error(err)
    end
    return data.items
end
print(decode("[]"))
