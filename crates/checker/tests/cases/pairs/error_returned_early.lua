-- `if err then return nil, err end`: after it the value of the same call is not nil.
local function name_of(s: string): (string?, string?)
    local data, err = json.decode(s)
    if err then
        return nil, tostring(err)
    end
    return data.name, nil
end
print(name_of("{}"))
