-- `tostring` first makes any scalar a string.
local function f(v: string | integer): string
    return tostring(v):upper()
end
print(f(1))
