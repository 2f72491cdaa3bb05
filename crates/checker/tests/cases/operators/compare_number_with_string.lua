-- `<` between a number and a string fails at run time.
local function older(age: integer, limit: string): boolean
    return age < limit -- expect-error: cannot compare integer with string
end
print(older(3, "4"), 1 < 2, "a" < "b")
