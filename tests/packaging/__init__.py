"""Tests of what ships: the built wheel, installed apart from the source tree, and its package data."""
