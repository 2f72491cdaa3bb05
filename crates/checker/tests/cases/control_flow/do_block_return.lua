-- A `return` inside `do … end` ends the function.
local function f(): string
    do
        return "x"
    end
end
print(f())
