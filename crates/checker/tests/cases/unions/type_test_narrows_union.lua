-- `type(v) == "string"` narrows `string | integer`.
local function up(v: string | integer): string
    if type(v) == "string" then
        return v:upper()
    end
    return tostring(v + 1)
end
print(up("a"))
