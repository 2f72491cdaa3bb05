-- The error checked in an `elseif` of an unrelated `if`.
local function f(flag: boolean): any
    local data, err = json.decode("{}")
    if flag then
        return nil
    elseif err then
        return nil
    end
    return data.name
end
print(f(true))
