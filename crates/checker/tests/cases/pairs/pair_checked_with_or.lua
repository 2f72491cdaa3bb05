-- `if err or not data then return end`.
local function f(s: string): any
    local data, err = json.decode(s)
    if err or not data then
        return nil
    end
    return data.name
end
print(f("{}"))
