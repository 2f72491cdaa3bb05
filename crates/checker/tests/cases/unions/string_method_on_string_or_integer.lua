-- A string method called on `string | integer`.
local function up(v: string | integer): string
    return v:upper() -- expect-error: E0022 no method `upper` in integer, a member of string | integer
end
print(up("a"))
