-- A float step gives a number index.
local function f(): integer
    local n: integer = 0
    for i = 0, 1, 0.5 do
        n = i -- expect-error: E0000
    end
    return n
end
print(f())
