-- A call as the last argument may fill the remaining parameters.
local function two(): (integer, integer)
    return 1, 2
end
local function add(a: integer, b: integer): integer
    return a + b
end
print(add(two()))
