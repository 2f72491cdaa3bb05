-- After `if type(v) ~= "string" then return end`, string methods are fine.
local function f(v: string | integer): string
    if type(v) ~= "string" then
        return ""
    end
    return v:upper()
end
print(f(1))
