-- Concatenating a boolean fails at run time.
local function label(name: string, admin: boolean): string
    return name .. admin -- expect-error: cannot concatenate boolean, expected string or number
end
print(label("a", true), "n=" .. 3)
