-- `if err then return nil, err end` (the value is used after it).
local function load(s: string): (any, error?)
    local data, err = json.decode(s)
    if err then
        return nil, err
    end
    return data.rows, nil
end
print(load("{}"))
